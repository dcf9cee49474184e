provider "aws" {
  region = "us-east-1"
}

resource "aws_s3_bucket" "logs" {
  bucket = "acme-alb-logs"
}

resource "aws_lb" "web" {
  name = "web"
  access_logs {
    bucket  = aws_s3_bucket.logs.id
    enabled = true
  }
}

resource "aws_s3_bucket_policy" "logs" {
  bucket = aws_s3_bucket.logs.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "ElbLegacy"
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::797873946194:root" }
        Action    = "s3:PutObject"
        Resource  = "${aws_s3_bucket.logs.arn}/AWSLogs/*"
      },
    ]
  })
}

# A Region opened after August 2022 has no legacy account: only the service principal writes.
provider "aws" {
  alias  = "zurich"
  region = "eu-central-2"
}

resource "aws_s3_bucket" "zurich" {
  provider = aws.zurich
  bucket   = "acme-alb-logs-zurich"
}

resource "aws_lb" "zurich" {
  provider = aws.zurich
  name     = "zurich"
  access_logs {
    bucket  = aws_s3_bucket.zurich.id
    enabled = true
  }
}

resource "aws_s3_bucket_policy" "zurich" {
  provider = aws.zurich
  bucket   = aws_s3_bucket.zurich.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "ElbLegacy"
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::054676820928:root" }
        Action    = "s3:PutObject"
        Resource  = "${aws_s3_bucket.zurich.arn}/AWSLogs/*"
      },
    ]
  })
}
