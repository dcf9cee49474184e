# A log-bucket module in the style of trussworks/terraform-aws-logs: one statement per service,
# Allow when the service is enabled, Deny otherwise.

variable "bucket" { type = string }
variable "alb_logs_enabled" { type = bool }
variable "config_logs_enabled" { type = bool }
variable "vpc_flow_logs_enabled" { type = bool }

data "aws_caller_identity" "current" {}

resource "aws_s3_bucket" "logs" {
  bucket = var.bucket
}

data "aws_iam_policy_document" "logs" {
  statement {
    sid     = "alb-logs-put-object"
    effect  = var.alb_logs_enabled ? "Allow" : "Deny"
    actions = ["s3:PutObject"]
    principals {
      type        = "Service"
      identifiers = ["logdelivery.elasticloadbalancing.amazonaws.com"]
    }
    resources = ["${aws_s3_bucket.logs.arn}/alb/*"]
  }

  statement {
    sid     = "config-logs-put-object"
    effect  = var.config_logs_enabled ? "Allow" : "Deny"
    actions = ["s3:PutObject"]
    principals {
      type        = "Service"
      identifiers = ["config.amazonaws.com"]
    }
    resources = ["${aws_s3_bucket.logs.arn}/config/*"]
    condition {
      test     = "StringEquals"
      variable = "AWS:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
  }

  statement {
    sid     = "vpc-flow-logs-get-bucket-acl"
    effect  = var.vpc_flow_logs_enabled ? "Allow" : "Deny"
    actions = ["s3:GetBucketAcl"]
    principals {
      type        = "Service"
      identifiers = ["delivery.logs.amazonaws.com"]
    }
    resources = [aws_s3_bucket.logs.arn]
  }

  statement {
    sid     = "vpc-flow-logs-put-object"
    effect  = var.vpc_flow_logs_enabled ? "Allow" : "Deny"
    actions = ["s3:PutObject"]
    principals {
      type        = "Service"
      identifiers = ["delivery.logs.amazonaws.com"]
    }
    resources = ["${aws_s3_bucket.logs.arn}/vpc/*"]
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
  }
}

resource "aws_s3_bucket_policy" "logs" {
  bucket = aws_s3_bucket.logs.id
  policy = data.aws_iam_policy_document.logs.json
}

output "bucket_id" {
  value = aws_s3_bucket.logs.id
}

output "bucket_arn" {
  value = aws_s3_bucket.logs.arn
}
