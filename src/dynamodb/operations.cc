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
      {"BatchExecuteStatement", "issue 11 (transactions, PartiQL, TTL)"},
      {"CreateBackup", "backups and point-in-time recovery are not served"},
      {"CreateGlobalTable", "global tables (one region per server) are not served"},
      {"DeleteBackup", "backups and point-in-time recovery are not served"},
      {"DeleteResourcePolicy", "resource policies are not served yet"},
      {"DescribeBackup", "backups and point-in-time recovery are not served"},
      {"DescribeContributorInsights", "contributor insights are not served"},
      {"DescribeExport", "S3 import and export are not served (no S3)"},
      {"DescribeGlobalTable", "global tables (one region per server) are not served"},
      {"DescribeGlobalTableSettings", "global tables (one region per server) are not served"},
      {"DescribeImport", "S3 import and export are not served (no S3)"},
      {"DescribeTableReplicaAutoScaling", "global tables (one region per server) are not served"},
      {"DescribeTimeToLive", "issue 11 (transactions, PartiQL, TTL)"},
      {"ExecuteStatement", "issue 11 (transactions, PartiQL, TTL)"},
      {"ExecuteTransaction", "issue 11 (transactions, PartiQL, TTL)"},
      {"ExportTableToPointInTime", "backups and point-in-time recovery are not served"},
      {"GetResourcePolicy", "resource policies are not served yet"},
      {"ImportTable", "S3 import and export are not served (no S3)"},
      {"ListBackups", "backups and point-in-time recovery are not served"},
      {"ListContributorInsights", "contributor insights are not served"},
      {"ListExports", "S3 import and export are not served (no S3)"},
      {"ListGlobalTables", "global tables (one region per server) are not served"},
      {"ListImports", "S3 import and export are not served (no S3)"},
      {"PutResourcePolicy", "resource policies are not served yet"},
      {"RestoreTableFromBackup", "backups and point-in-time recovery are not served"},
      {"RestoreTableToPointInTime", "backups and point-in-time recovery are not served"},
      {"TransactGetItems", "issue 11 (transactions, PartiQL, TTL)"},
      {"TransactWriteItems", "issue 11 (transactions, PartiQL, TTL)"},
      {"UpdateContributorInsights", "contributor insights are not served"},
      {"UpdateGlobalTable", "global tables (one region per server) are not served"},
      {"UpdateGlobalTableSettings", "global tables (one region per server) are not served"},
      {"UpdateTableReplicaAutoScaling", "global tables (one region per server) are not served"},
      {"UpdateTimeToLive", "issue 11 (transactions, PartiQL, TTL)"},
  };
  return table;
}

}  // namespace trib::dynamodb
