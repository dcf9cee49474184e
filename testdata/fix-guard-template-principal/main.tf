resource "aws_s3_bucket" "a" {
  bucket = "l1-a-logs"
}
resource "aws_s3_bucket" "b" {
  bucket = "l1-b-logs"
}
resource "aws_cloudtrail" "a" {
  name           = "a"
  s3_bucket_name = aws_s3_bucket.a.id
}
resource "aws_cloudtrail" "b" {
  name           = "b"
  s3_bucket_name = aws_s3_bucket.b.id
}
resource "aws_s3_bucket_policy" "a" {
  bucket = aws_s3_bucket.a.id
  policy = templatefile("${path.module}/policies/p.json.tpl", {
    bucket_arn = aws_s3_bucket.a.arn
    principal  = "arn:aws:iam::086441151436:root"
  })
}
resource "aws_s3_bucket_policy" "b" {
  bucket = aws_s3_bucket.b.id
  policy = templatefile("${path.module}/policies/p.json.tpl", {
    bucket_arn = aws_s3_bucket.b.arn
    principal  = "arn:aws:iam::222222222222:role/log-writer"
  })
}
