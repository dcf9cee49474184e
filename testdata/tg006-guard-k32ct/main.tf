data "aws_caller_identity" "c" {}
resource "aws_kms_key" "logs" {
  description = "x"
}
variable "kid" {}
resource "aws_kms_key_policy" "x" {
  key_id = var.kid
  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Principal = { Service = "delivery.logs.amazonaws.com" }, Action = "kms:GenerateDataKey*", Resource = "*" }] })
}
resource "aws_cloudtrail" "t" {
  name           = "t"
  s3_bucket_name = "acme-ct"
  kms_key_id     = aws_kms_key.logs.arn
}
