"""Open data: the report's figures as a Frictionless Data Package and as a CKAN dataset (docs/open-data.md)."""

from .package import DataPackage, PackageMeta, build_package, package_name
from .resources import ImportedFile
from .write import resource_json, write_datapackage

__all__ = ["DataPackage", "ImportedFile", "PackageMeta", "build_package", "package_name", "resource_json",
           "write_datapackage"]
