locals {
  statements = [
    templatefile("${path.module}/templates/acl.json.tpl", { bucket = "acme-logs" }),
    templatefile("${path.module}/templates/write.json.tpl", { bucket = "acme-logs", account = "111111111111" }),
  ]
}

resource "aws_s3_bucket_policy" "logs" {
  bucket = "acme-logs"
  policy = <<POLICY
{
  "Version": "2012-10-17",
  "Statement": [
    ${join(",", local.statements)},
    {"Sid": "Deny", "Effect": "Deny", "Principal": "*", "Action": "s3:DeleteBucket", "Resource": "arn:aws:s3:::acme-logs"}
  ]
}
POLICY
}
