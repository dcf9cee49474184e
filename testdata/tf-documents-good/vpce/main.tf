data "aws_iam_policy_document" "vpce" {
  statement {
    sid    = "AllowLogShippersToTrailBucket"
    effect = "Allow"
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    actions   = ["s3:GetObject", "s3:PutObject", "s3:ListBucket"]
    resources = ["arn:aws:s3:::trail-logs", "arn:aws:s3:::trail-logs/*"]
  }
}
resource "aws_vpc_endpoint" "s3" {
  vpc_id       = "vpc-123"
  service_name = "com.amazonaws.us-east-1.s3"
  policy       = data.aws_iam_policy_document.vpce.json
}

data "aws_iam_policy_document" "readers" {
  statement {
    sid    = "AuditorsRead"
    effect = "Allow"
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::111122223333:role/auditor"]
    }
    actions   = ["s3:GetObject", "s3:ListBucket"]
    resources = ["arn:aws:s3:::trail-logs", "arn:aws:s3:::trail-logs/AWSLogs/*"]
  }
}
resource "aws_s3_access_point" "auditors" {
  bucket = "trail-logs"
  name   = "auditors"
  policy = data.aws_iam_policy_document.readers.json
}

resource "aws_s3_bucket" "logs" { bucket = "trail-logs" }
resource "aws_s3_bucket_policy" "logs" {
  bucket = aws_s3_bucket.logs.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Sid = "Acl", Effect = "Allow", Principal = { Service = "cloudtrail.amazonaws.com" }, Action = "s3:GetBucketAcl", Resource = "arn:aws:s3:::trail-logs",
        Condition = { StringEquals = { "aws:SourceArn" = "arn:aws:cloudtrail:us-east-1:111122223333:trail/main" } } },
      { Sid = "Write", Effect = "Allow", Principal = { Service = "cloudtrail.amazonaws.com" }, Action = "s3:PutObject", Resource = "arn:aws:s3:::trail-logs/AWSLogs/111122223333/*",
        Condition = { StringEquals = { "s3:x-amz-acl" = "bucket-owner-full-control", "aws:SourceArn" = "arn:aws:cloudtrail:us-east-1:111122223333:trail/main" } } }
    ]
  })
}
resource "aws_cloudtrail" "main" {
  name           = "main"
  s3_bucket_name = aws_s3_bucket.logs.id
}
