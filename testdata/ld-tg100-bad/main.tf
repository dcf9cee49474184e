data "aws_caller_identity" "current" {}

resource "aws_s3_bucket" "logs" {
  bucket = "acme-shared-logs"
}

resource "aws_flow_log" "vpc" {
  vpc_id               = "vpc-0123456789abcdef0"
  traffic_type         = "ALL"
  log_destination_type = "s3"
  log_destination      = "${aws_s3_bucket.logs.arn}/flow"
}

resource "aws_lb" "web" {
  name = "web"
  access_logs {
    bucket  = aws_s3_bucket.logs.id
    prefix  = "alb"
    enabled = true
  }
}

resource "aws_s3_bucket_logging" "site" {
  bucket        = "acme-site"
  target_bucket = aws_s3_bucket.logs.id
  target_prefix = "site/"
}

resource "aws_s3_bucket_policy" "logs" {
  bucket = aws_s3_bucket.logs.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "AWSLogDeliveryWrite"
        Effect    = "Allow"
        Principal = { Service = "delivery.logs.amazonaws.com" }
        Action    = "s3:PutObject"
        Resource  = "${aws_s3_bucket.logs.arn}/vpc/AWSLogs/${data.aws_caller_identity.current.account_id}/*"
        Condition = { StringEquals = { "aws:SourceAccount" = data.aws_caller_identity.current.account_id } }
      },
      {
        Sid       = "ElbLegacy"
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::127311923021:root" }
        Action    = "s3:PutObject"
        Resource  = "${aws_s3_bucket.logs.arn}/alb/AWSLogs/${data.aws_caller_identity.current.account_id}/*"
      },
      {
        Sid       = "AccessLogs"
        Effect    = "Allow"
        Principal = { Service = "logging.s3.amazonaws.com" }
        Action    = "s3:PutObject"
        Resource  = "${aws_s3_bucket.logs.arn}/other/*"
        Condition = { StringEquals = { "aws:SourceAccount" = data.aws_caller_identity.current.account_id } }
      },
    ]
  })
}

# A Deny for a service that does deliver here (a trussworks-style switch left on).
resource "aws_s3_bucket" "nlb" {
  bucket = "acme-nlb-logs"
}

resource "aws_lb" "nlb" {
  name               = "nlb"
  load_balancer_type = "network"
  access_logs {
    bucket  = aws_s3_bucket.nlb.id
    enabled = true
  }
}

resource "aws_s3_bucket_policy" "nlb" {
  bucket = aws_s3_bucket.nlb.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "AWSLogDeliveryAclCheck"
        Effect    = "Allow"
        Principal = { Service = "delivery.logs.amazonaws.com" }
        Action    = "s3:GetBucketAcl"
        Resource  = aws_s3_bucket.nlb.arn
      },
      {
        Sid       = "AWSLogDeliveryWrite"
        Effect    = "Allow"
        Principal = { Service = "delivery.logs.amazonaws.com" }
        Action    = "s3:PutObject"
        Resource  = "${aws_s3_bucket.nlb.arn}/AWSLogs/*"
      },
      {
        Sid       = "NoVendedLogs"
        Effect    = "Deny"
        Principal = { Service = "delivery.logs.amazonaws.com" }
        Action    = "s3:PutObject"
        Resource  = "${aws_s3_bucket.nlb.arn}/*"
      },
    ]
  })
}
