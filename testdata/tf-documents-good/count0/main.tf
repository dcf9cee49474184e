module "legacy_logs" {
  source        = "terraform-aws-modules/s3-bucket/aws"
  count         = 0
  bucket        = "legacy-trail-logs"
  attach_policy = true
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Principal = { Service = "cloudtrail.amazonaws.com" }, Action = "s3:PutObject", Resource = "arn:aws:s3:::legacy-trail-logs/AWSLogs/111122223333/*" }
    ]
  })
}
data "aws_iam_policy_document" "disabled" {
  count = 0
  statement {
    effect = "Allow"
    principals {
      type        = "Service"
      identifiers = ["cloudtrail.amazonaws.com"]
    }
    actions   = ["s3:PutObject"]
    resources = ["arn:aws:s3:::legacy2/AWSLogs/111122223333/*"]
  }
}
resource "aws_s3_bucket_policy" "disabled" {
  count  = 0
  bucket = "legacy3"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Principal = { Service = "cloudtrail.amazonaws.com" }, Action = "s3:PutObject", Resource = "arn:aws:s3:::legacy3/AWSLogs/111122223333/*" }
    ]
  })
}
