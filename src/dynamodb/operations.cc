#include "dynamodb/operations.h"

namespace trib::dynamodb {

const std::map<std::string_view, OperationHandler>& operation_table() {
#define TRIB_DYNAMODB_TABLE_ROW(name, function) {#name, &ops::function},
  static const std::map<std::string_view, OperationHandler> table = {
      TRIB_DYNAMODB_OPERATIONS(TRIB_DYNAMODB_TABLE_ROW)};
#undef TRIB_DYNAMODB_TABLE_ROW
  return table;
}

const std::map<std::string_view, std::string_view>& unsupported_operations() {
  static const std::map<std::string_view, std::string_view> table = {
      {"CreateBackup", "backups and point-in-time recovery are not served"},
      {"CreateGlobalTable", "global tables (one region per server) are not served"},
      {"DeleteBackup", "backups and point-in-time recovery are not served"},
      {"DescribeBackup", "backups and point-in-time recovery are not served"},
      {"DescribeExport", "S3 import and export are not served (no S3)"},
      {"DescribeGlobalTable", "global tables (one region per server) are not served"},
      {"DescribeGlobalTableSettings", "global tables (one region per server) are not served"},
      {"DescribeImport", "S3 import and export are not served (no S3)"},
      {"DescribeTableReplicaAutoScaling", "global tables (one region per server) are not served"},
      {"ExportTableToPointInTime", "backups and point-in-time recovery are not served"},
      {"ImportTable", "S3 import and export are not served (no S3)"},
      {"ListBackups", "backups and point-in-time recovery are not served"},
      {"ListExports", "S3 import and export are not served (no S3)"},
      {"ListGlobalTables", "global tables (one region per server) are not served"},
      {"ListImports", "S3 import and export are not served (no S3)"},
      {"RestoreTableFromBackup", "backups and point-in-time recovery are not served"},
      {"RestoreTableToPointInTime", "backups and point-in-time recovery are not served"},
      {"UpdateGlobalTable", "global tables (one region per server) are not served"},
      {"UpdateGlobalTableSettings", "global tables (one region per server) are not served"},
      {"UpdateTableReplicaAutoScaling", "global tables (one region per server) are not served"},
  };
  return table;
}

}  // namespace trib::dynamodb
