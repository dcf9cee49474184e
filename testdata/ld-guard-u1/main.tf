variable "effect" { type = string }
resource "aws_s3_bucket" "logs" {
  bucket = "acme-flow-logs"
}
data "aws_iam_policy_document" "logs" {
  statement {
    sid    = "AclCheck"
    effect = var.effect
    principals {
      type        = "Service"
      identifiers = ["delivery.logs.amazonaws.com"]
    }
    actions   = ["s3:GetBucketAcl"]
    resources = [aws_s3_bucket.logs.arn]
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = ["111111111111"]
    }
  }
  statement {
    sid    = "Write"
    effect = var.effect
    principals {
      type        = "Service"
      identifiers = ["delivery.logs.amazonaws.com"]
    }
    actions   = ["s3:PutObject"]
    resources = ["${aws_s3_bucket.logs.arn}/AWSLogs/*"]
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = ["111111111111"]
    }
  }
}
resource "aws_s3_bucket_policy" "logs" {
  bucket = aws_s3_bucket.logs.id
  policy = data.aws_iam_policy_document.logs.json
}
resource "aws_flow_log" "vpc" {
  vpc_id               = "vpc-0123"
  traffic_type         = "ALL"
  log_destination_type = "s3"
  log_destination      = aws_s3_bucket.logs.arn
}
