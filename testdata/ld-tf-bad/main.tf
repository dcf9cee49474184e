resource "aws_s3_bucket" "logs" {
  bucket = "acme-shared-logs"
}

resource "aws_s3_bucket_server_side_encryption_configuration" "logs" {
  bucket = aws_s3_bucket.logs.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "aws:kms"
    }
  }
}

resource "aws_s3_bucket_ownership_controls" "logs" {
  bucket = aws_s3_bucket.logs.id
  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_lb" "web" {
  name               = "web"
  load_balancer_type = "application"
  access_logs {
    bucket  = aws_s3_bucket.logs.id
    prefix  = "alb"
    enabled = true
  }
}

resource "aws_cloudfront_distribution" "cdn" {
  enabled = true
  logging_config {
    bucket = aws_s3_bucket.logs.bucket_domain_name
    prefix = "cdn/"
  }
}

resource "aws_s3_bucket" "site" {
  bucket = "acme-site"
}

resource "aws_s3_bucket_logging" "site" {
  bucket        = aws_s3_bucket.site.id
  target_bucket = aws_s3_bucket.logs.id
  target_prefix = "s3/"
}

# A second bucket: in-line KMS default encryption, a Classic Load Balancer and Redshift audit logs,
# and S3 server access logs through the LogDelivery ACL under enforced ownership.
resource "aws_s3_bucket" "legacy" {
  bucket = "acme-legacy-logs"
  acl    = "log-delivery-write"

  server_side_encryption_configuration {
    rule {
      apply_server_side_encryption_by_default {
        sse_algorithm = "aws:kms:dsse"
      }
    }
  }
}

resource "aws_s3_bucket_ownership_controls" "legacy" {
  bucket = aws_s3_bucket.legacy.id
  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_elb" "classic" {
  name = "classic"
  access_logs {
    bucket        = aws_s3_bucket.legacy.id
    bucket_prefix = "elb"
  }
}

resource "aws_redshift_logging" "audit" {
  cluster_identifier = "warehouse"
  bucket_name        = aws_s3_bucket.legacy.id
  s3_key_prefix      = "redshift/"
}

resource "aws_s3_bucket" "app" {
  bucket = "acme-app"
  logging {
    target_bucket = aws_s3_bucket.legacy.id
    target_prefix = "app/"
  }
}

resource "aws_redshift_cluster" "legacy_form" {
  cluster_identifier = "warehouse-two"
  node_type          = "ra3.xlplus"
  logging {
    enable      = true
    bucket_name = aws_s3_bucket.legacy.id
  }
}
