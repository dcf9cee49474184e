# A stand-in for a public log-bucket module: the caller's policy attached to the bucket it
# makes, and a second bucket of its own whose policy (the module's unchanged code) is not the
# caller's to fix and is not reported.
variable "bucket" {
  type = string
}

variable "policy" {
  type    = string
  default = ""
}

resource "aws_s3_bucket" "this" {
  bucket = var.bucket
}

resource "aws_s3_bucket_policy" "this" {
  count  = var.policy == "" ? 0 : 1
  bucket = aws_s3_bucket.this.id
  policy = var.policy
}

resource "aws_s3_bucket" "access_logs" {
  bucket = "${var.bucket}-access"
}

resource "aws_s3_bucket_policy" "access_logs" {
  bucket = aws_s3_bucket.access_logs.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "cloudtrail.amazonaws.com" }
      Action    = "s3:PutObject"
      Resource  = "${aws_s3_bucket.access_logs.arn}/*"
    }]
  })
}

output "bucket_id" {
  value = aws_s3_bucket.this.id
}
