variable "alb_logs" {
  type = bool
}

resource "aws_s3_bucket" "logs" {
  bucket = "acme-kms-logs"
}

resource "aws_s3_bucket_server_side_encryption_configuration" "logs" {
  bucket = aws_s3_bucket.logs.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    }
  }
}

resource "aws_s3_bucket_ownership_controls" "logs" {
  bucket = aws_s3_bucket.logs.id
  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

# Network Load Balancers and VPC Flow Logs write with SSE-KMS (a customer managed key).
resource "aws_lb" "nlb" {
  name               = "nlb"
  load_balancer_type = "network"
  access_logs {
    bucket  = aws_s3_bucket.logs.id
    enabled = true
  }
}

resource "aws_flow_log" "vpc" {
  vpc_id               = "vpc-0123456789abcdef0"
  traffic_type         = "ALL"
  log_destination_type = "s3"
  log_destination      = "${aws_s3_bucket.logs.arn}/flow/"
}

# Access logs that are off, or on only when a variable says so, are not judged.
resource "aws_lb" "off" {
  name = "off"
  access_logs {
    bucket = aws_s3_bucket.logs.id
  }
}

resource "aws_lb" "maybe" {
  name = "maybe"
  access_logs {
    bucket  = aws_s3_bucket.logs.id
    enabled = var.alb_logs
  }
}

# CloudFront legacy logging to a bucket with ACLs enabled, and SSE-S3 for load balancer logs.
resource "aws_s3_bucket" "cdn" {
  bucket = "acme-cdn-logs"
}

resource "aws_s3_bucket_ownership_controls" "cdn" {
  bucket = aws_s3_bucket.cdn.id
  rule {
    object_ownership = "BucketOwnerPreferred"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "cdn" {
  bucket = aws_s3_bucket.cdn.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_cloudfront_distribution" "cdn" {
  enabled = true
  logging_config {
    bucket = aws_s3_bucket.cdn.bucket_domain_name
  }
}

resource "aws_lb" "web" {
  name = "web"
  access_logs {
    bucket  = aws_s3_bucket.cdn.id
    enabled = true
  }
}

# S3 server access logs granted by a bucket policy (no ACL) into an enforced bucket.
resource "aws_s3_bucket" "site" {
  bucket = "acme-site"
}

resource "aws_s3_bucket_logging" "site" {
  bucket        = aws_s3_bucket.site.id
  target_bucket = aws_s3_bucket.plain.id
  target_prefix = "site/"
}

resource "aws_s3_bucket" "plain" {
  bucket = "acme-plain-logs"
}

resource "aws_s3_bucket_ownership_controls" "plain" {
  bucket = aws_s3_bucket.plain.id
  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}
