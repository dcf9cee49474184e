resource "aws_s3_bucket" "logs" {
  bucket = "unpolicied-trail-logs"
}

resource "aws_s3_bucket_ownership_controls" "logs" {
  bucket = aws_s3_bucket.logs.id
  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_cloudtrail" "main" {
  name           = "main"
  s3_bucket_name = aws_s3_bucket.logs.bucket
}

# Enforced ownership: no TG004 on this bucket's write grant.
resource "aws_s3_bucket" "enforced" {
  bucket = "enforced-trail-logs"
}

resource "aws_s3_bucket_ownership_controls" "enforced" {
  bucket = aws_s3_bucket.enforced.id
  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_policy" "enforced" {
  bucket = aws_s3_bucket.enforced.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect    = "Allow"
        Principal = { Service = "cloudtrail.amazonaws.com" }
        Action    = "s3:GetBucketAcl"
        Resource  = aws_s3_bucket.enforced.arn
      },
      {
        Effect    = "Allow"
        Principal = { Service = "cloudtrail.amazonaws.com" }
        Action    = "s3:PutObject"
        Resource  = "${aws_s3_bucket.enforced.arn}/AWSLogs/*"
        Condition = { StringEquals = { "aws:SourceAccount" = "111111111111" } }
      },
    ]
  })
}

resource "aws_cloudtrail" "enforced" {
  name           = "enforced"
  s3_bucket_name = aws_s3_bucket.enforced.id
}
