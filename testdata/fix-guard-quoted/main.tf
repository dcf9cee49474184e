resource "aws_s3_bucket" "logs" {
  bucket = "acme-b2-logs"
}

resource "aws_cloudtrail" "main" {
  name           = "main"
  s3_bucket_name = aws_s3_bucket.logs.id
}

resource "aws_s3_bucket_policy" "logs" {
  bucket = aws_s3_bucket.logs.id
  policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"AclCheck\",\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"cloudtrail.amazonaws.com\"},\"Action\":\"s3:GetBucketAcls\",\"Resource\":\"arn:aws:s3:::acme-b2-logs\"}]}"
}
