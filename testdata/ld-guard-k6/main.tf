variable "use_kms" { type = bool }
resource "aws_s3_bucket" "logs" {
  bucket = "acme-kms-logs"
}
resource "aws_s3_bucket_server_side_encryption_configuration" "kms" {
  count  = var.use_kms ? 1 : 0
  bucket = aws_s3_bucket.logs.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "aws:kms"
    }
  }
}
resource "aws_lb" "web" {
  count = var.use_kms ? 0 : 1
  name = "web"
  access_logs {
    bucket  = aws_s3_bucket.logs.id
    enabled = true
  }
}
resource "aws_s3_bucket" "site" {
  bucket = "acme-site"
}
resource "aws_s3_bucket_logging" "site" {
  count         = var.use_kms ? 0 : 1
  bucket        = aws_s3_bucket.site.id
  target_bucket = aws_s3_bucket.logs.id
  target_prefix = "site/"
}
resource "aws_s3_bucket_ownership_controls" "logs" {
  count  = var.use_kms ? 1 : 0
  bucket = aws_s3_bucket.logs.id
  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}
resource "aws_cloudfront_distribution" "cdn" {
  count   = var.use_kms ? 0 : 1
  enabled = true
  logging_config {
    bucket = aws_s3_bucket.logs.bucket_domain_name
  }
}
