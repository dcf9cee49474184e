provider "aws" {
  region = "us-east-1"
}

resource "aws_s3_bucket" "logs" {
  bucket = "acme-alb-logs"
}

resource "aws_lb" "x" {
  access_logs {
    bucket  = aws_s3_bucket.logs.id
    enabled = true
  }
}

resource "aws_s3_bucket_policy" "p" {
  bucket = aws_s3_bucket.logs.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { AWS = "arn:aws:IAM::127311923021:root" }, Action = "s3:PutObject", Resource = "${aws_s3_bucket.logs.arn}/AWSLogs/*" }]
  })
}
