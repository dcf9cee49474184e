resource "aws_s3_bucket" "logs" {
  bucket = "acme-logs"
}

resource "aws_s3_bucket_policy" "logs" {
  bucket = aws_s3_bucket.logs.id
  policy = templatefile("${path.module}/templates/s3_bucket_policy.tmpl", {
    bucket_arn = aws_s3_bucket.logs.arn
    account_id = "111111111111"
  })
}
