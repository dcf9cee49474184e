variable "accts" {}
resource "aws_s3_bucket" "site" {
  bucket = "acme-site"
}
resource "aws_s3_bucket" "logs" {
  bucket = "acme-access-logs"
}
resource "aws_s3_bucket_logging" "site" {
  bucket        = aws_s3_bucket.site.id
  target_bucket = aws_s3_bucket.logs.id
  target_prefix = "site/"
}
data "aws_iam_policy_document" "logs" {
  statement {
    principals {
      type        = "Service"
      identifiers = ["logging.s3.amazonaws.com"]
    }
    actions   = ["s3:PutObject"]
    resources = ["${aws_s3_bucket.logs.arn}/*"]
    dynamic "condition" {
      for_each = [1]
      content {
        test     = "ArnLike"
        variable = "aws:SourceArn"
        values   = [aws_s3_bucket.site.arn]
      }
    }
  }
}
resource "aws_s3_bucket_policy" "logs" {
  bucket = aws_s3_bucket.logs.id
  policy = data.aws_iam_policy_document.logs.json
}
