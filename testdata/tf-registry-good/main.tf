# A log bucket made by a registry module (as most real Terraform does), its policy a document
# handed to the module. `terraform init` has installed the module under .terraform/modules.
data "aws_caller_identity" "current" {}

data "aws_iam_policy_document" "logs" {
  statement {
    sid       = "AWSCloudTrailAclCheck"
    actions   = ["s3:GetBucketAcl"]
    resources = ["arn:aws:s3:::acme-trail-logs"]
    principals {
      type        = "Service"
      identifiers = ["cloudtrail.amazonaws.com"]
    }
  }
  statement {
    sid       = "AWSCloudTrailWrite"
    actions   = ["s3:PutObject"]
    resources = ["arn:aws:s3:::acme-trail-logs/audit/AWSLogs/${data.aws_caller_identity.current.account_id}/*"]
    principals {
      type        = "Service"
      identifiers = ["cloudtrail.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "s3:x-amz-acl"
      values   = ["bucket-owner-full-control"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
  }
}

module "s3_bucket" {
  source  = "acme/log-bucket/aws"
  version = "1.0.0"
  bucket  = "acme-trail-logs"
  policy  = data.aws_iam_policy_document.logs.json
}

resource "aws_cloudtrail" "main" {
  name           = "main"
  s3_bucket_name = module.s3_bucket.bucket_id
  s3_key_prefix  = "audit"
}
