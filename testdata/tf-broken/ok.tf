resource "aws_s3_bucket_policy" "other" {
  bucket = "other-logs"
  policy = jsonencode({
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "cloudtrail.amazonaws.com" }
      Action    = "s3:GetBucketAcl"
      Resource  = "arn:aws:s3:::other-logs"
    }]
  })
}
