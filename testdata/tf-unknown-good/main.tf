# Values only known at deploy time never produce findings.
module "remote" {
  source  = "cloudposse/cloudtrail-s3-bucket/aws"
  version = "0.27.0"
  name    = var.name
}

resource "aws_cloudtrail" "main" {
  name           = var.name
  s3_bucket_name = module.remote.bucket_id
  s3_key_prefix  = var.prefix
}

resource "aws_s3_bucket_policy" "extra" {
  for_each = toset(var.buckets)
  bucket   = each.value
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = concat([
      {
        Effect    = "Allow"
        Principal = { Service = "cloudtrail.amazonaws.com" }
        Action    = "s3:GetBucketAcl"
        Resource  = "arn:aws:s3:::${each.value}"
      },
    ], var.extra_statements)
  })
}

resource "aws_s3_bucket_policy" "computed" {
  bucket = var.bucket
  policy = var.policy_json
}

locals {
  a = local.b
  b = local.a
}

resource "aws_s3_bucket_policy" "cyclic" {
  bucket = local.a
  policy = local.b
}

data "aws_iam_policy_document" "dyn" {
  dynamic "statement" {
    for_each = var.writers
    content {
      actions   = statement.value.actions
      resources = ["arn:aws:s3:::${var.bucket}/*"]
      principals {
        type        = "Service"
        identifiers = ["cloudtrail.amazonaws.com"]
      }
    }
  }
  statement {
    actions   = ["s3:GetBucketAcl"]
    resources = ["arn:aws:s3:::${var.bucket}"]
    principals {
      type        = "Service"
      identifiers = ["cloudtrail.amazonaws.com"]
    }
  }
}

resource "aws_s3_bucket_policy" "dyn" {
  bucket = var.bucket
  policy = data.aws_iam_policy_document.dyn.json
}

variable "name" {}
variable "prefix" {}
variable "bucket" {}
variable "buckets" {}
variable "policy_json" {}
variable "extra_statements" {}
variable "writers" {}
