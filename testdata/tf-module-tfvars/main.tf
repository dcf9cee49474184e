# A root module calling a local module with values from terraform.tfvars.
module "logs" {
  source      = "./modules/log-bucket"
  bucket_name = var.bucket_name
  log_prefix  = var.policy_prefix
}

resource "aws_cloudtrail" "main" {
  name           = var.trail_name
  s3_bucket_name = module.logs.bucket_id
  s3_key_prefix  = var.trail_prefix
}

variable "bucket_name" {}
variable "trail_name" {}
variable "trail_prefix" {}
variable "policy_prefix" {}
