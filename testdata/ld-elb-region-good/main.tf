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
        Principal = { AWS = "arn:aws:iam::127311923021:root" }
        Action    = "s3:PutObject"
        Resource  = "${aws_s3_bucket.logs.arn}/AWSLogs/*"
      },
    ]
  })
}

# A Region the provider does not state literally: any legacy ELB account or the service
# principal passes.
variable "region" {
  type = string
}

provider "aws" {
  alias  = "somewhere"
  region = var.region
}

resource "aws_lb" "somewhere" {
  provider = aws.somewhere
  name     = "somewhere"
  access_logs {
    bucket  = aws_s3_bucket.somewhere.id
    enabled = true
  }
}

resource "aws_s3_bucket" "somewhere" {
  provider = aws.somewhere
  bucket   = "acme-alb-logs-somewhere"
}

resource "aws_s3_bucket_policy" "somewhere" {
  provider = aws.somewhere
  bucket   = aws_s3_bucket.somewhere.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "ElbLegacy"
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::797873946194:root" }
        Action    = "s3:PutObject"
        Resource  = "${aws_s3_bucket.somewhere.arn}/AWSLogs/*"
      },
    ]
  })
}
