data "aws_iam_policy_document" "member_accounts" {
  statement {
    sid    = "AWSCloudTrailWriteMemberAccounts"
    effect = "Allow"
    principals {
      type        = "Service"
      identifiers = ["cloudtrail.amazonaws.com"]
    }
    actions   = ["s3:PutObject"]
    resources = [
      "arn:aws:s3:::acme-audit-cloudtrail/AWSLogs/444455556666/*",
      "arn:aws:s3:::acme-audit-cloudtrail/AWSLogs/777788889999/*",
    ]
    condition {
      test     = "StringEquals"
      variable = "s3:x-amz-acl"
      values   = ["bucket-owner-full-control"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = ["444455556666", "777788889999"]
    }
  }
}

module "cloudtrail_s3_bucket" {
  source  = "cloudposse/cloudtrail-s3-bucket/aws"
  version = "0.26.4"

  namespace = "acme"
  stage     = "audit"
  name      = "cloudtrail"
  policy    = data.aws_iam_policy_document.member_accounts.json
}
