resource "aws_s3_bucket" "logs" {
  bucket = "suppressed-trail-logs"
}

resource "aws_s3_bucket_policy" "logs" {
  bucket = aws_s3_bucket.logs.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect    = "Allow"
        Principal = { Service = "cloudtrail.amazonaws.com" }
        Action    = "s3:GetBucketAcl"
        Resource  = aws_s3_bucket.logs.arn
      },
      # trailguard:ignore TG003,TG004 -- legacy writer, tracked in SEC-42
      {
        Effect    = "Allow"
        Principal = { Service = "cloudtrail.amazonaws.com" }
        Action    = "s3:PutObject"
        Resource  = "${aws_s3_bucket.logs.arn}/AWSLogs/*"
      },
      {
        Effect    = "Allow"
        Principal = { Service = "cloudtrail.amazonaws.com" }
        Action    = "s3:PutObject"
        Resource  = "${aws_s3_bucket.logs.arn}/extra/AWSLogs/*"
        // trailguard:ignore TG005 -- nothing to suppress here
        Condition = { StringEquals = { "aws:SourceAccount" = "111111111111" } }
      },
    ]
  })
}
