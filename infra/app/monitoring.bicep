// Logs for both stages; Application Insights is workspace-based and accepts only Entra-authenticated telemetry.
param location string
param tags object
param logAnalyticsName string
param applicationInsightsName string

resource logAnalytics 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: logAnalyticsName
  location: location
  tags: tags
  properties: {
    sku: { name: 'PerGB2018' }
    retentionInDays: 30
  }
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: applicationInsightsName
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: logAnalytics.id
    // Instrumentation-key-only ingestion is refused; apps authenticate with their managed identity.
    DisableLocalAuth: true
  }
}

output logAnalyticsWorkspaceId string = logAnalytics.id
output applicationInsightsName string = applicationInsights.name
// The connection string carries no secret (the ingestion key is not accepted alone with DisableLocalAuth).
output applicationInsightsConnectionString string = applicationInsights.properties.ConnectionString
