resource "aws_s3_bucket" "logs" {
  bucket = "acme-access-logs"
  grant {
    type        = "Group"
    permissions = ["READ_ACP", "WRITE"]
    uri         = "http://acs.amazonaws.com/groups/s3/LogDelivery"
  }
  policy = <<POLICY
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Deny",
      "Principal": "*",
      "Action": "s3:*",
      "Resource": ["arn:aws:s3:::acme-access-logs", "arn:aws:s3:::acme-access-logs/*"],
      "Condition": {"Bool": {"aws:SecureTransport": "false"}}
    }
  ]
}
POLICY
}
resource "aws_s3_bucket" "site" {
  bucket = "acme-site"
  logging {
    target_bucket = aws_s3_bucket.logs.id
    target_prefix = "log/"
  }
}
