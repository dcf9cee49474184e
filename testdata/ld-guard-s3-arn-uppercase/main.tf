resource "aws_s3_bucket" "logs" {
  bucket = "acme-logs"
}

resource "aws_s3_bucket_policy" "p" {
  bucket = aws_s3_bucket.logs.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { AWS = "arn:aws:iam::333333333333:root" }, Action = "s3:GetObject", Resource = "${aws_s3_bucket.logs.arn}/*" }]
  })
}

resource "aws_flow_log" "x" {
  log_destination_type = "s3"
  log_destination      = "arn:aws:S3:::acme-logs/flow"
}
