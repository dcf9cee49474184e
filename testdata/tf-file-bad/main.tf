resource "aws_s3_bucket" "logs" {
  bucket = "file-trail-logs"
}

resource "aws_cloudtrail" "main" {
  name           = "main"
  s3_bucket_name = aws_s3_bucket.logs.id
  s3_key_prefix  = "prod"
}

# The policy lives in a JSON file: findings point inside it, once.
resource "aws_s3_bucket_policy" "logs" {
  bucket = aws_s3_bucket.logs.id
  policy = file("${path.module}/policies/bucket.json")
}

resource "aws_s3_bucket" "archive" {
  bucket = "archive-trail-logs"
}

resource "aws_cloudtrail" "archive" {
  name           = "archive"
  s3_bucket_name = aws_s3_bucket.archive.id
}

resource "aws_s3_bucket_policy" "archive" {
  bucket = aws_s3_bucket.archive.id
  policy = templatefile("${path.module}/policies/archive.json.tpl", {
    bucket_arn = aws_s3_bucket.archive.arn
    principal  = "arn:aws:iam::086441151436:root"
  })
}
