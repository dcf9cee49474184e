resource "aws_s3_bucket" "logs" {
  bucket = "acme-access-logs"
}
resource "aws_s3_bucket_logging" "a" {
  bucket        = "acme-site-a"
  target_bucket = aws_s3_bucket.logs.id
  target_prefix = ""
}
resource "aws_s3_bucket_logging" "b" {
  bucket        = "acme-site-b"
  target_bucket = aws_s3_bucket.logs.id
  target_prefix = ""
}
resource "aws_s3_bucket_policy" "logs" {
  bucket = aws_s3_bucket.logs.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "SiteA"
        Effect    = "Allow"
        Principal = { Service = "logging.s3.amazonaws.com" }
        Action    = "s3:PutObject"
        Resource  = "${aws_s3_bucket.logs.arn}/*"
        Condition = { ArnLike = { "aws:SourceArn" = "arn:aws:s3:::acme-site-a" } }
      },
      {
        Sid       = "SiteB"
        Effect    = "Allow"
        Principal = { Service = "logging.s3.amazonaws.com" }
        Action    = "s3:PutObject"
        Resource  = "${aws_s3_bucket.logs.arn}/*"
        Condition = { ArnLike = { "aws:SourceArn" = "arn:aws:s3:::acme-site-b" } }
      },
    ]
  })
}
