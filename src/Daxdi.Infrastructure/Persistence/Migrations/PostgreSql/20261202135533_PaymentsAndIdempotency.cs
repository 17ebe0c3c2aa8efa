using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Daxdi.Infrastructure.Persistence.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class PaymentsAndIdempotency : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "BitcoinWallets",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    SiteId = table.Column<Guid>(type: "uuid", nullable: false),
                    Network = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    ExtendedPublicKey = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    KeyGeneration = table.Column<int>(type: "integer", nullable: false),
                    NextIndex = table.Column<int>(type: "integer", nullable: false),
                    HighestUsedIndex = table.Column<int>(type: "integer", nullable: true),
                    GenerationStartIndex = table.Column<int>(type: "integer", nullable: false),
                    RequiredConfirmations = table.Column<int>(type: "integer", nullable: false),
                    IntentLifetimeMinutes = table.Column<int>(type: "integer", nullable: false),
                    MonitoringWindowHours = table.Column<int>(type: "integer", nullable: false),
                    UnderpaymentTolerancePercent = table.Column<decimal>(type: "numeric(5,2)", precision: 5, scale: 2, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Version = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_BitcoinWallets", x => x.Id);
                    table.ForeignKey(
                        name: "FK_BitcoinWallets_Sites_SiteId",
                        column: x => x.SiteId,
                        principalTable: "Sites",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "IdempotencyKeys",
                columns: table => new
                {
                    Scope = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Key = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    Fingerprint = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    ProtectedResponse = table.Column<string>(type: "text", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    ExpiresAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_IdempotencyKeys", x => new { x.Scope, x.Key });
                });

            migrationBuilder.CreateTable(
                name: "SiteOffers",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    SiteId = table.Column<Guid>(type: "uuid", nullable: false),
                    Currency = table.Column<string>(type: "character varying(3)", maxLength: 3, nullable: false),
                    MembershipPlans = table.Column<string>(type: "text", nullable: false),
                    ArticleUnlockPrice = table.Column<long>(type: "bigint", nullable: true),
                    DonationMin = table.Column<long>(type: "bigint", nullable: true),
                    DonationMax = table.Column<long>(type: "bigint", nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Version = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SiteOffers", x => x.Id);
                    table.ForeignKey(
                        name: "FK_SiteOffers_Sites_SiteId",
                        column: x => x.SiteId,
                        principalTable: "Sites",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "BitcoinWalletRetiredKeys",
                columns: table => new
                {
                    Generation = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    WalletId = table.Column<Guid>(type: "uuid", nullable: false),
                    Network = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    ExtendedPublicKey = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    NextIndex = table.Column<int>(type: "integer", nullable: false),
                    HighestUsedIndex = table.Column<int>(type: "integer", nullable: true),
                    RetiredAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_BitcoinWalletRetiredKeys", x => new { x.WalletId, x.Generation });
                    table.ForeignKey(
                        name: "FK_BitcoinWalletRetiredKeys_BitcoinWallets_WalletId",
                        column: x => x.WalletId,
                        principalTable: "BitcoinWallets",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "PaymentIntents",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    SiteId = table.Column<Guid>(type: "uuid", nullable: false),
                    WalletId = table.Column<Guid>(type: "uuid", nullable: false),
                    Network = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    KeyGeneration = table.Column<int>(type: "integer", nullable: false),
                    DerivationIndex = table.Column<int>(type: "integer", nullable: false),
                    Address = table.Column<string>(type: "character varying(90)", maxLength: 90, nullable: false),
                    Purpose = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    PlanKey = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    PlanDurationDays = table.Column<int>(type: "integer", nullable: true),
                    ArticleId = table.Column<Guid>(type: "uuid", nullable: true),
                    CustomerReference = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    Metadata = table.Column<string>(type: "text", nullable: false),
                    Amount = table.Column<long>(type: "bigint", nullable: false),
                    Currency = table.Column<string>(type: "character varying(3)", maxLength: 3, nullable: false),
                    Rate = table.Column<decimal>(type: "numeric(20,8)", precision: 20, scale: 8, nullable: false),
                    RateSource = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    RateAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    AmountSats = table.Column<long>(type: "bigint", nullable: false),
                    MinimumAcceptedSats = table.Column<long>(type: "bigint", nullable: false),
                    ExpiresAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    MonitoringWindowHours = table.Column<int>(type: "integer", nullable: false),
                    WatchUntil = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    ClientSecretHash = table.Column<byte[]>(type: "bytea", maxLength: 32, nullable: false),
                    Status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    ExceptionStatus = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    ReceivedSats = table.Column<long>(type: "bigint", nullable: false),
                    Confirmations = table.Column<int>(type: "integer", nullable: false),
                    CompletedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    LastAlertAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    EntitlementId = table.Column<Guid>(type: "uuid", nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Version = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PaymentIntents", x => x.Id);
                    table.ForeignKey(
                        name: "FK_PaymentIntents_Articles_ArticleId",
                        column: x => x.ArticleId,
                        principalTable: "Articles",
                        principalColumn: "Id");
                    table.ForeignKey(
                        name: "FK_PaymentIntents_BitcoinWallets_WalletId",
                        column: x => x.WalletId,
                        principalTable: "BitcoinWallets",
                        principalColumn: "Id");
                    table.ForeignKey(
                        name: "FK_PaymentIntents_Sites_SiteId",
                        column: x => x.SiteId,
                        principalTable: "Sites",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "Entitlements",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    SiteId = table.Column<Guid>(type: "uuid", nullable: false),
                    PaymentIntentId = table.Column<Guid>(type: "uuid", nullable: false),
                    Purpose = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    PlanKey = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    ArticleId = table.Column<Guid>(type: "uuid", nullable: true),
                    CustomerReference = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    ValidFrom = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    ValidUntil = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Version = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Entitlements", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Entitlements_PaymentIntents_PaymentIntentId",
                        column: x => x.PaymentIntentId,
                        principalTable: "PaymentIntents",
                        principalColumn: "Id");
                    table.ForeignKey(
                        name: "FK_Entitlements_Sites_SiteId",
                        column: x => x.SiteId,
                        principalTable: "Sites",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "IntentPayments",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    PaymentIntentId = table.Column<Guid>(type: "uuid", nullable: false),
                    Txid = table.Column<string>(type: "character(64)", fixedLength: true, maxLength: 64, nullable: false),
                    Vout = table.Column<int>(type: "integer", nullable: false),
                    ValueSats = table.Column<long>(type: "bigint", nullable: false),
                    BlockHeight = table.Column<int>(type: "integer", nullable: true),
                    FirstSeenAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    GoneAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_IntentPayments", x => x.Id);
                    table.ForeignKey(
                        name: "FK_IntentPayments_PaymentIntents_PaymentIntentId",
                        column: x => x.PaymentIntentId,
                        principalTable: "PaymentIntents",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "PaymentStatusChanges",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    PaymentIntentId = table.Column<Guid>(type: "uuid", nullable: false),
                    Sequence = table.Column<int>(type: "integer", nullable: false),
                    From = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    To = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Exception = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Alert = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    Reason = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    Actor = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    At = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PaymentStatusChanges", x => x.Id);
                    table.ForeignKey(
                        name: "FK_PaymentStatusChanges_PaymentIntents_PaymentIntentId",
                        column: x => x.PaymentIntentId,
                        principalTable: "PaymentIntents",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_BitcoinWallets_SiteId",
                table: "BitcoinWallets",
                column: "SiteId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Entitlements_PaymentIntentId",
                table: "Entitlements",
                column: "PaymentIntentId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Entitlements_SiteId_CustomerReference",
                table: "Entitlements",
                columns: new[] { "SiteId", "CustomerReference" });

            migrationBuilder.CreateIndex(
                name: "IX_IdempotencyKeys_ExpiresAt",
                table: "IdempotencyKeys",
                column: "ExpiresAt");

            migrationBuilder.CreateIndex(
                name: "IX_IntentPayments_PaymentIntentId",
                table: "IntentPayments",
                column: "PaymentIntentId");

            migrationBuilder.CreateIndex(
                name: "IX_IntentPayments_Txid_Vout",
                table: "IntentPayments",
                columns: new[] { "Txid", "Vout" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_PaymentIntents_ArticleId",
                table: "PaymentIntents",
                column: "ArticleId");

            migrationBuilder.CreateIndex(
                name: "IX_PaymentIntents_Network_Address",
                table: "PaymentIntents",
                columns: new[] { "Network", "Address" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_PaymentIntents_SiteId_Id",
                table: "PaymentIntents",
                columns: new[] { "SiteId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_PaymentIntents_SiteId_Status_Id",
                table: "PaymentIntents",
                columns: new[] { "SiteId", "Status", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_PaymentIntents_WalletId_KeyGeneration_DerivationIndex",
                table: "PaymentIntents",
                columns: new[] { "WalletId", "KeyGeneration", "DerivationIndex" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_PaymentIntents_WatchUntil",
                table: "PaymentIntents",
                column: "WatchUntil");

            migrationBuilder.CreateIndex(
                name: "IX_PaymentStatusChanges_PaymentIntentId_Sequence",
                table: "PaymentStatusChanges",
                columns: new[] { "PaymentIntentId", "Sequence" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_SiteOffers_SiteId",
                table: "SiteOffers",
                column: "SiteId",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "BitcoinWalletRetiredKeys");

            migrationBuilder.DropTable(
                name: "Entitlements");

            migrationBuilder.DropTable(
                name: "IdempotencyKeys");

            migrationBuilder.DropTable(
                name: "IntentPayments");

            migrationBuilder.DropTable(
                name: "PaymentStatusChanges");

            migrationBuilder.DropTable(
                name: "SiteOffers");

            migrationBuilder.DropTable(
                name: "PaymentIntents");

            migrationBuilder.DropTable(
                name: "BitcoinWallets");
        }
    }
}
