variable "create_policy" {
  default = false
}
resource "aws_s3_bucket" "logs" {
  bucket = "acme-trail-logs-x"
}
resource "aws_s3_bucket_policy" "logs" {
  count  = 0
  bucket = aws_s3_bucket.logs.id
  policy = jsonencode({
    Statement = [
      { Effect = "Allow", Principal = { Service = "cloudtrail.amazonaws.com" }, Action = "s3:GetBucketAcl", Resource = aws_s3_bucket.logs.arn },
      { Effect = "Allow", Principal = { Service = "cloudtrail.amazonaws.com" }, Action = "s3:PutObject", Resource = "${aws_s3_bucket.logs.arn}/AWSLogs/*",
        Condition = { StringEquals = { "s3:x-amz-acl" = "bucket-owner-full-control", "aws:SourceAccount" = "123456789012" } } }
    ]
  })
}
resource "aws_cloudtrail" "t" {
  name           = "t"
  s3_bucket_name = aws_s3_bucket.logs.id
}
