variable "bucket_name" {
  type        = string
  description = "Name of the log bucket"
}

variable "trail_name" {
  type    = string
  default = "organization-trail"
}

variable "s3_key_prefix" {
  type    = string
  default = "cloudtrail"
}

variable "tags" {
  type    = map(string)
  default = {}
}
