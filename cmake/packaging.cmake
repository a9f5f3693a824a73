# The Debian package (scripts/package): `cpack -G DEB` in a build folder makes
# crm-backup_<version>_amd64.deb from the install rules. Its dependencies are
# computed from the binaries' shared libraries by dpkg-shlibdeps.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME crm-backup)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "The crm-backup developers <crm-backup@example.com>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "consistent, verifiable backups and reviewed restores of a CRM")
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
    "Backs up and restores CRM data from a terminal, cron or CI: consistent,
 verifiable, reproducible zip archives of an embedded SQLite CRM store or a
 HubSpot account; diffs against the live CRM; restores planned, reviewed,
 confirmed and undoable; recurring backups for cron and systemd, with
 off-site copies through rclone.")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION admin)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# Off-site copies run rclone as a program; everything else works without it.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS rclone)
set(CPACK_DEBIAN_PACKAGE_SUGGESTS bash-completion)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
# Files and directories as root owns them, whoever builds the package.
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_STRIP_FILES ON)
include(CPack)
