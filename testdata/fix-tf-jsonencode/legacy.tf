resource "aws_s3_bucket" "legacy" {
  bucket = "acme-legacy-logs"
}

resource "aws_s3_bucket_policy" "legacy" {
  bucket = aws_s3_bucket.legacy.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "LegacyWrite"
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::086441151436:root" }
        Action    = "s3:PutObject"
        Resource  = "arn:aws:s3:::acme-legacy-logs/AWSLogs/*"
      },
    ]
  })
}
