# One bucket for public uploads or for CloudTrail, chosen at apply time: never both.
variable "access" {
  type = string
}

resource "aws_s3_bucket" "b" {
  bucket = "tf-conditions-bad-logs"
}

resource "aws_cloudtrail" "main" {
  count          = var.access == "cloudtrail" ? 1 : 0
  name           = "main"
  s3_bucket_name = aws_s3_bucket.b.id
}

resource "aws_s3_bucket_policy" "b" {
  bucket = aws_s3_bucket.b.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = concat(
      var.access == "cloudtrail" ? [
        {
          Sid       = "PublicUploads"
          Effect    = "Allow"
          Principal = "*"
          Action    = "s3:PutObject"
          Resource  = "${aws_s3_bucket.b.arn}/uploads/*"
        }
      ] : [],
      var.access == "cloudtrail" ? [
        {
          Sid       = "AWSCloudTrailAclCheck"
          Effect    = "Allow"
          Principal = { Service = "cloudtrail.amazonaws.com" }
          Action    = "s3:GetBucketAcl"
          Resource  = aws_s3_bucket.b.arn
        },
        {
          Sid       = "AWSCloudTrailWrite"
          Effect    = "Allow"
          Principal = { Service = "cloudtrail.amazonaws.com" }
          Action    = "s3:PutObject"
          Resource  = "${aws_s3_bucket.b.arn}/AWSLogs/*"
          Condition = {
            StringEquals = {
              "s3:x-amz-acl"      = "bucket-owner-full-control"
              "aws:SourceAccount" = "111111111111"
            }
          }
        }
      ] : []
    )
  })
}
