data "aws_cloudtrail_service_account" "main" {}

data "aws_caller_identity" "current" {}

variable "bucket" {
  default = "legacy-trail-logs"
}

resource "aws_s3_bucket" "logs" {
  bucket = var.bucket
}

resource "aws_s3_bucket_policy" "logs" {
  bucket = aws_s3_bucket.logs.id

  policy = <<-POLICY
    {
      "Version": "2012-10-17",
      "Statement": [
        {
          "Sid": "LegacyAclCheck",
          "Effect": "Allow",
          "Principal": {"AWS": "${data.aws_cloudtrail_service_account.main.arn}"},
          "Action": "s3:GetBucketAcl",
          "Resource": "${aws_s3_bucket.logs.arn}"
        },
        {
          "Sid": "CloudTrailWrite",
          "Effect": "Allow",
          "Principal": {"Service": "cloudtrail.amazonaws.com"},
          "Action": "s3:PutObject",
          "Resource": "${aws_s3_bucket.logs.arn}/AWSLogs/${data.aws_caller_identity.current.account_id}/*",
          "Condition": {
            "StringEquals": {
              "s3:x-amz-acl": "bucket-owner-full-control",
              "aws:SourceAccount": "${data.aws_caller_identity.current.account_id}"
            }
          }
        },
        {
          "Sid": "DenyOutsideVpce",
          "Effect": "Deny",
          "Principal": "*",
          "Action": "s3:*",
          "Resource": ["${aws_s3_bucket.logs.arn}", "${aws_s3_bucket.logs.arn}/*"],
          "Condition": {"StringNotEquals": {"aws:SourceVpce": "vpce-0123456789abcdef0"}}
        }
      ]
    }
  POLICY
}
