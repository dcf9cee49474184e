data "aws_organizations_organization" "current" {}
data "aws_caller_identity" "current" {}

resource "aws_s3_bucket" "logs" {
  bucket = "org-only-trail-logs"
}

resource "aws_cloudtrail" "org" {
  name                  = "org"
  s3_bucket_name        = aws_s3_bucket.logs.id
  is_organization_trail = true
}

resource "aws_s3_bucket_policy" "logs" {
  bucket = aws_s3_bucket.logs.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "AclCheck"
        Effect    = "Allow"
        Principal = { Service = "cloudtrail.amazonaws.com" }
        Action    = "s3:GetBucketAcl"
        Resource  = aws_s3_bucket.logs.arn
        Condition = { StringEquals = { "aws:SourceArn" = aws_cloudtrail.org.arn } }
      },
      {
        Sid       = "OrgWrite"
        Effect    = "Allow"
        Principal = { Service = "cloudtrail.amazonaws.com" }
        Action    = "s3:PutObject"
        Resource  = "${aws_s3_bucket.logs.arn}/AWSLogs/${data.aws_organizations_organization.current.id}/*"
        Condition = {
          StringEquals = {
            "s3:x-amz-acl"  = "bucket-owner-full-control"
            "aws:SourceArn" = aws_cloudtrail.org.arn
          }
        }
      }
    ]
  })
}
