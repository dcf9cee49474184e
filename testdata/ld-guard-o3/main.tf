variable "enforce" { type = bool }
resource "aws_s3_bucket" "logs" {
  bucket = "acme-access-logs"
}
resource "aws_s3_bucket_ownership_controls" "logs" {
  count  = var.enforce ? 1 : 0
  bucket = aws_s3_bucket.logs.id
  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}
resource "aws_s3_bucket_acl" "logs" {
  count  = var.enforce ? 0 : 1
  bucket = aws_s3_bucket.logs.id
  acl    = "log-delivery-write"
}
resource "aws_s3_bucket" "site" {
  bucket = "acme-site"
}
resource "aws_s3_bucket_logging" "site" {
  bucket        = aws_s3_bucket.site.id
  target_bucket = aws_s3_bucket.logs.id
  target_prefix = "site/"
}
