# The organization's audit trail: a log-bucket module and the trail that delivers to it.

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

module "audit_logs" {
  source      = "./modules/audit-logs"
  bucket_name = "acme-org-audit-logs"
  trail_name  = local.trail_name
  # The prefix the bucket policy grants; the trail below was moved to "org-trail".
  log_prefix = "cloudtrail"
}

locals {
  trail_name = "acme-org-trail"
}

resource "aws_cloudtrail" "org" {
  name                       = local.trail_name
  s3_bucket_name             = module.audit_logs.bucket_id
  s3_key_prefix              = "org-trail"
  kms_key_id                 = module.audit_logs.key_arn
  is_multi_region_trail      = true
  enable_log_file_validation = true
}
