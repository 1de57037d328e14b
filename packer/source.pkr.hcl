# The build instance and image settings both images share. Each build (base.pkr.hcl,
# sample-app.pkr.hcl) adds what differs: its name, the AMI it starts from and its tags.
# Packer only lets a build fill in fields this block leaves unset, so those stay out of here.
source "amazon-ebs" "al2023" {
  region        = var.region
  instance_type = var.instance_type
  subnet_id     = var.subnet_id == "" ? null : var.subnet_id
  ami_regions   = var.ami_regions

  communicator              = "ssh"
  ssh_username              = "ec2-user"
  ssh_timeout               = "10m"
  ssh_clear_authorized_keys = true
  # The temporary security group admits SSH from this machine's public IP only, not 0.0.0.0/0.
  temporary_security_group_source_public_ip = true

  # IMDSv2 only on the build instance. The AMI's own imds_support = "v2.0" is not an amazon-ebs
  # option in the amazon plugin Packer 1.9.4 compiles in (v1.2.1); scripts/require-imdsv2.mjs
  # sets it on every AMI a build registers, in the post-processors.
  metadata_options {
    http_endpoint               = "enabled"
    http_tokens                 = "required"
    http_put_response_hop_limit = 1
  }

  launch_block_device_mappings {
    device_name           = "/dev/xvda"
    volume_type           = "gp3"
    volume_size           = var.root_volume_size_gb
    encrypted             = true
    kms_key_id            = var.kms_key_id == "" ? null : var.kms_key_id
    delete_on_termination = true
  }
  # The AMI's snapshot (and its copies in ami_regions) are encrypted too.
  encrypt_boot = true
  kms_key_id   = var.kms_key_id == "" ? null : var.kms_key_id

  run_tags = {
    Name = "packer-build-sample-app"
    app  = "sample-app"
  }
  run_volume_tags = {
    Name = "packer-build-sample-app"
    app  = "sample-app"
  }
}
