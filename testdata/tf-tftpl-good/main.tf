data "aws_partition" "current" {}
variable "accounts" {
  type    = list(string)
  default = ["111111111111", "222222222222"]
}
resource "aws_s3_bucket" "b" {
  bucket = "tftpl-trail-logs"
}
resource "aws_s3_bucket_policy" "b" {
  bucket = aws_s3_bucket.b.id
  policy = templatefile("${path.module}/templates/bucket-policy.json.tftpl", {
    partition = data.aws_partition.current.partition
    bucket    = aws_s3_bucket.b.id
    accounts  = var.accounts
  })
}
resource "aws_cloudtrail" "t" {
  name           = "t"
  s3_bucket_name = aws_s3_bucket.b.id
}
