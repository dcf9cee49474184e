resource "aws_s3_bucket" "logs" {
  bucket = "acme-flow-logs"
}
resource "aws_s3_bucket_server_side_encryption_configuration" "logs" {
  bucket = aws_s3_bucket.logs.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = "alias/logs"
    }
  }
}
resource "aws_flow_log" "vpc" {
  vpc_id               = "vpc-0123"
  traffic_type         = "ALL"
  log_destination_type = "s3"
  log_destination      = aws_s3_bucket.logs.arn
}
