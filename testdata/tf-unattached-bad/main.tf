data "aws_caller_identity" "current" {}

data "aws_iam_policy_document" "default" {
  statement {
    sid       = "AWSCloudTrailAclCheck"
    actions   = ["s3:GetBucketAcl"]
    resources = ["arn:aws:s3:::acme-cloudtrail-logs"]
    principals {
      type        = "Service"
      identifiers = ["cloudtrail.amazonaws.com"]
    }
  }
  statement {
    sid       = "AWSCloudTrailWrite"
    actions   = ["s3:PutObject"]
    resources = ["arn:aws:s3:::acme-cloudtrail-logs/AWSLogs/*"]
    principals {
      type        = "Service"
      identifiers = ["cloudtrail.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "s3:x-amz-acl"
      values   = ["bucket-owner-full-control"]
    }
  }
}

module "s3_bucket" {
  source  = "cloudposse/s3-log-storage/aws"
  version = "1.4.2"
  name    = "acme-cloudtrail-logs"
  policy  = join("", data.aws_iam_policy_document.default.*.json)
}

data "aws_iam_policy_document" "role" {
  statement {
    actions   = ["s3:GetObject"]
    resources = ["*"]
  }
}
