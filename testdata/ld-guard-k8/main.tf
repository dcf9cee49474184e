variable "enable_alb" { type = bool }
resource "aws_s3_bucket" "logs" {
  bucket = "acme-alb-logs"
}
data "aws_iam_policy_document" "logs" {
  statement {
    sid = "AllowAlb"
    principals {
      type        = "Service"
      identifiers = ["logdelivery.elasticloadbalancing.amazonaws.com"]
    }
    actions   = ["s3:PutObject"]
    resources = ["${aws_s3_bucket.logs.arn}/*"]
  }
  dynamic "statement" {
    for_each = var.enable_alb ? [] : [1]
    content {
      sid    = "DenyAlb"
      effect = "Deny"
      principals {
        type        = "Service"
        identifiers = ["logdelivery.elasticloadbalancing.amazonaws.com"]
      }
      actions   = ["s3:PutObject"]
      resources = ["${aws_s3_bucket.logs.arn}/*"]
    }
  }
}
resource "aws_s3_bucket_policy" "logs" {
  bucket = aws_s3_bucket.logs.id
  policy = data.aws_iam_policy_document.logs.json
}
resource "aws_lb" "web" {
  count = var.enable_alb ? 1 : 0
  name  = "web"
  access_logs {
    bucket  = aws_s3_bucket.logs.id
    enabled = true
  }
}
