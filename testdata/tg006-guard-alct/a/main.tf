resource "aws_cloudtrail" "t" {
  name           = "t"
  s3_bucket_name = "acme-ct"
  kms_key_id     = "alias/logs"
}
