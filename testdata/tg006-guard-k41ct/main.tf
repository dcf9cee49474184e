data "aws_caller_identity" "c" {}
resource "aws_kms_key" "logs" {
  description = "x"
}
module "kp" {
  source = "./kp"
  key_id = aws_kms_key.logs.id
}
resource "aws_cloudtrail" "t" {
  name           = "t"
  s3_bucket_name = "acme-ct"
  kms_key_id     = aws_kms_key.logs.arn
}
