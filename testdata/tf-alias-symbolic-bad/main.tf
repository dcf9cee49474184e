variable "env" {}

resource "aws_kms_key" "k" {}

resource "aws_kms_alias" "a" {
  name          = "alias/ct-${var.env}"
  target_key_id = aws_kms_key.k.key_id
}

resource "aws_cloudtrail" "t" {
  name           = "t"
  s3_bucket_name = "logs"
  kms_key_id     = aws_kms_alias.a.name
}
