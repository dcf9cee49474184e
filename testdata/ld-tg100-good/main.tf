resource "aws_s3_bucket" "logs" {
  bucket = "acme-flow-logs"
}

resource "aws_flow_log" "vpc" {
  vpc_id               = "vpc-0123456789abcdef0"
  traffic_type         = "ALL"
  log_destination_type = "s3"
  log_destination      = "${aws_s3_bucket.logs.arn}/flow"
}

resource "aws_s3_bucket_policy" "logs" {
  bucket = aws_s3_bucket.logs.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "AWSLogDeliveryAclCheck"
        Effect    = "Allow"
        Principal = { Service = "delivery.logs.amazonaws.com" }
        Action    = "s3:GetBucketAcl"
        Resource  = aws_s3_bucket.logs.arn
        Condition = { StringEquals = { "aws:SourceAccount" = "111111111111" } }
      },
      {
        Sid       = "AWSLogDeliveryWrite"
        Effect    = "Allow"
        Principal = { Service = "delivery.logs.amazonaws.com" }
        Action    = "s3:PutObject"
        Resource  = "${aws_s3_bucket.logs.arn}/flow/AWSLogs/*"
        Condition = { StringEquals = { "aws:SourceAccount" = "111111111111" } }
      },
    ]
  })
}

# Classic LB logs granted to the Region's legacy ELB account; S3 server access logs through the
# LogDelivery ACL; a Deny for a service that does not deliver here (trussworks style).
resource "aws_s3_bucket" "classic" {
  bucket = "acme-classic-logs"
  acl    = "log-delivery-write"
}

resource "aws_elb" "classic" {
  name = "classic"
  access_logs {
    bucket        = aws_s3_bucket.classic.id
    bucket_prefix = "elb"
  }
}

resource "aws_s3_bucket_logging" "site" {
  bucket        = "acme-site"
  target_bucket = aws_s3_bucket.classic.id
  target_prefix = "site/"
}

resource "aws_s3_bucket_policy" "classic" {
  bucket = aws_s3_bucket.classic.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "ElbLegacy"
        Effect    = "Allow"
        Principal = { AWS = "797873946194" }
        Action    = "s3:PutObject"
        Resource  = "${aws_s3_bucket.classic.arn}/elb/AWSLogs/*"
      },
      {
        Sid       = "NoConfig"
        Effect    = "Deny"
        Principal = { Service = "config.amazonaws.com" }
        Action    = "s3:*"
        Resource  = "${aws_s3_bucket.classic.arn}/*"
      },
    ]
  })
}
