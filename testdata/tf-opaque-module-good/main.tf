resource "aws_s3_bucket" "logs" {
  bucket = "tg011-probe-logs"
}
module "log_bucket_policy" {
  source = "git::https://github.com/acme/terraform-modules.git//s3-cloudtrail-policy?ref=v1.2.0"
  bucket = aws_s3_bucket.logs.id
}
resource "aws_cloudtrail" "t" {
  name           = "t"
  s3_bucket_name = aws_s3_bucket.logs.id
}
