# Base image (layer 1): the newest Amazon Linux 2023 with OS updates, Node.js, a pinned PM2
# registered at boot for app-user, and no app. Rebuild it for OS patches or a new Node.js/PM2;
# app releases then build on it (base_image = "sample-app-base") and only copy the app.
#   npm run image:build -- --base
build {
  name = "base"

  source "source.amazon-ebs.al2023" {
    name            = "base"
    ami_name        = "sample-app-base-${local.name_timestamp}"
    ami_description = "sample-app base: Amazon Linux 2023, Node.js ${var.nodejs_major}, PM2 ${var.pm2_version}, app-user"

    source_ami_filter {
      filters = {
        name                = local.source_images.al2023.name
        architecture        = "x86_64"
        root-device-type    = "ebs"
        virtualization-type = "hvm"
      }
      owners      = local.source_images.al2023.owners
      most_recent = true
    }

    tags = merge(local.common_tags, {
      Name            = "sample-app-base-${local.name_timestamp}"
      image_role      = "base"
      nodejs_major    = var.nodejs_major
      pm2_version     = var.pm2_version
      source_ami      = "{{ .SourceAMI }}"
      source_ami_name = "{{ .SourceAMIName }}"
    })
    snapshot_tags = merge(local.common_tags, { image_role = "base" })
  }

  provisioner "shell" {
    scripts          = ["${path.root}/scripts/install-base.sh"]
    environment_vars = local.provisioner_env
    execute_command  = local.execute_command
  }

  post-processors {
    post-processor "manifest" {
      output     = local.manifest_path
      strip_path = true
      custom_data = {
        image_role   = "base"
        git_commit   = var.git_commit
        build_time   = local.build_time
        nodejs_major = var.nodejs_major
        pm2_version  = var.pm2_version
      }
    }
    post-processor "shell-local" {
      inline = ["node '${path.root}/scripts/require-imdsv2.mjs' '${local.manifest_path}'"]
    }
  }
}
