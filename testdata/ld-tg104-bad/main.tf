resource "aws_s3_bucket" "logs" {
  bucket = "acme-shared-logs"
}

resource "aws_flow_log" "vpc" {
  vpc_id               = "vpc-0123456789abcdef0"
  traffic_type         = "ALL"
  log_destination_type = "s3"
  log_destination      = "${aws_s3_bucket.logs.arn}/flow"
}

resource "aws_config_delivery_channel" "main" {
  name           = "main"
  s3_bucket_name = aws_s3_bucket.logs.bucket
  s3_key_prefix  = "config"
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
        Sid       = "AWSLogDeliveryAclCheck"
        Effect    = "Allow"
        Principal = { Service = "delivery.logs.amazonaws.com" }
        Action    = "s3:GetBucketAcl"
        Resource  = aws_s3_bucket.logs.arn
        Condition = {
          StringEquals = { "aws:SourceAccount" = "111111111111" }
        }
      },
      {
        Sid       = "AWSLogDeliveryWrite"
        Effect    = "Allow"
        Principal = { Service = "delivery.logs.amazonaws.com" }
        Action    = "s3:PutObject"
        Resource  = "${aws_s3_bucket.logs.arn}/flow/AWSLogs/*"
      },
      {
        Sid       = "AWSConfigBucketDelivery"
        Effect    = "Allow"
        Principal = { Service = "config.amazonaws.com" }
        Action    = "s3:PutObject"
        Resource  = "${aws_s3_bucket.logs.arn}/config/AWSLogs/*"
        # Negated: it does not pin the writer.
        Condition = {
          StringNotEquals = { "aws:SourceAccount" = "222222222222" }
        }
      },
      {
        Sid       = "S3ServerAccessLogs"
        Effect    = "Allow"
        Principal = { Service = "logging.s3.amazonaws.com" }
        Action    = ["s3:PutObject"]
        Resource  = "${aws_s3_bucket.logs.arn}/site/*"
      },
    ]
  })
}
