import { Controller, Get, Logger, Param, Query, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiAlErrors, ApiAlResponse, ApiPaths, ApiQueries, ApiRawResponse } from '../openapi/api-docs.decorators';
import { int, oneOfValues, ref, str } from '../openapi/schema-builders';
import type { Response } from 'express';
import { pipeline } from 'node:stream/promises';
import { AlApi } from '../al-api/al-api.decorator';
import { CurrentUser, RequireRoles } from '../auth/auth.decorators';
import type { AuthenticatedUser } from '../auth/auth.service';
import type { DownloadQuery } from './download-options';
import { asciiView, ContentView, hexOptions, hexView, printableStrings, stringsMinLength } from './file-contents';
import { FileDownloads } from './file-download';
import { fileInfo, FileInfo } from './file-info';
import { BLOB_NOT_FOUND, FILE_DOES_NOT_EXIST, FILE_NOT_FOUND } from './file-messages';
import { VisibleFiles } from './visible-files';

/**
 * Assemblyline's file routes (`api/v4/file.py`): info, download, strings, hex and ascii. A file above the
 * caller's clearance answers 404, exactly as an unknown one.
 */
@ApiTags('file')
@AlApi()
@Controller('api/v4/file')
export class FileController {
  private readonly logger = new Logger(FileController.name);

  constructor(
    private readonly visible: VisibleFiles,
    private readonly downloads: FileDownloads,
  ) {}

  /** The file's record: hashes, size, type, magic, mime, entropy, classification, seen, expiry. */
  @ApiPaths({ sha256: 'A file Hopper holds' })
  @ApiAlResponse(ref('AlFileInfo'))
  @ApiAlErrors(400, 404)
  @Get('info/:sha256/')
  @RequireRoles('file_detail')
  async info(@Param('sha256') sha256: string, @CurrentUser() auth: AuthenticatedUser): Promise<FileInfo> {
    return fileInfo(await this.visible.get(auth, sha256, FILE_DOES_NOT_EXIST));
  }

  /**
   * The file as an attachment: `encoding` cart (default, as Assemblyline), raw or zip (`password`, default
   * the configured `ui.default_zip_password`; `zip_encryption` aes256 or zipcrypto); `name` names it; `sid`
   * adds that submission's metadata to the CaRT header. Streamed from the filestore.
   */
  @ApiPaths({ sha256: 'A file Hopper holds' })
  @ApiQueries({ encoding: oneOfValues('cart', 'raw', 'zip'), password: str, zip_encryption: oneOfValues('aes256', 'zipcrypto'), name: str, sid: str })
  @ApiRawResponse('application/octet-stream', 'The file as an attachment, streamed (CaRT, raw or zip)')
  @ApiAlErrors(400, 404)
  @Get('download/:sha256/')
  @RequireRoles('file_download')
  async download(
    @Param('sha256') sha256: string,
    @Query() query: DownloadQuery,
    @CurrentUser() auth: AuthenticatedUser,
    @Res() response: Response,
  ): Promise<void> {
    const download = await this.downloads.prepare(auth, sha256, query);
    response.status(200).attachment(download.filename);
    response.setHeader('Content-Type', 'application/octet-stream');
    if (download.length !== null) response.setHeader('Content-Length', String(download.length));
    // Headers are gone by now: a failure mid-stream can only cut the connection, which the client sees.
    await pipeline(download.body, response).catch((error: Error) => {
      if (!response.writableFinished) this.logger.warn({ sha256, err: error.message }, 'download stopped before the end');
    });
  }

  /**
   * Printable strings of the file (ASCII, then UTF-16LE), one per line, each once, at least `len` long
   * (default 6), as `{content, truncated}`. Covers the first 64 MiB and answers at most 4 MiB of text;
   * `truncated` says when it stopped short.
   */
  @ApiPaths({ sha256: 'A file Hopper holds' })
  @ApiQueries({ len: { ...int, minimum: 1, maximum: 1024, description: 'Shortest string kept' } })
  @ApiAlResponse(ref('AlContent'))
  @ApiAlErrors(400, 404)
  @Get('strings/:sha256/')
  @RequireRoles('file_detail')
  async strings(@Param('sha256') sha256: string, @Query() query: { len?: unknown }, @CurrentUser() auth: AuthenticatedUser): Promise<ContentView> {
    const record = await this.visible.get(auth, sha256, FILE_NOT_FOUND);
    const minLength = stringsMinLength(query);
    return printableStrings(await this.visible.open(record, BLOB_NOT_FOUND), record.size, minLength);
  }

  /**
   * Assemblyline's hex dump, as `{content, truncated}`: the first MiB (Hopper's `bytes` asks for less),
   * `length` bytes a line (default 16); `bytes_only` answers the bytes as hex pairs only. `truncated` when the
   * file is longer than what is dumped.
   */
  @ApiPaths({ sha256: 'A file Hopper holds' })
  @ApiQueries({ bytes: { ...int, minimum: 1, description: 'How many bytes to dump (default and at most 1 MiB)' }, length: { ...int, minimum: 1, maximum: 64, description: 'Bytes per line' }, bytes_only: { type: 'string', description: 'true: the hex bytes alone' } })
  @ApiAlResponse(ref('AlContent'))
  @ApiAlErrors(400, 404)
  @Get('hex/:sha256/')
  @RequireRoles('file_detail')
  async hex(
    @Param('sha256') sha256: string,
    @Query() query: { bytes?: unknown; length?: unknown; bytes_only?: unknown },
    @CurrentUser() auth: AuthenticatedUser,
  ): Promise<ContentView> {
    const record = await this.visible.get(auth, sha256, FILE_NOT_FOUND);
    const options = hexOptions(query);
    return hexView(await this.visible.open(record, BLOB_NOT_FOUND), record.size, options);
  }

  /** Assemblyline's ascii view, as `{content, truncated}`: the first MiB with anything but text as dots. */
  @ApiPaths({ sha256: 'A file Hopper holds' })
  @ApiAlResponse(ref('AlContent'))
  @ApiAlErrors(400, 404)
  @Get('ascii/:sha256/')
  @RequireRoles('file_detail')
  async ascii(@Param('sha256') sha256: string, @CurrentUser() auth: AuthenticatedUser): Promise<ContentView> {
    const record = await this.visible.get(auth, sha256, FILE_NOT_FOUND);
    return asciiView(await this.visible.open(record, BLOB_NOT_FOUND), record.size);
  }
}
