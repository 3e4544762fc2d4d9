/**
 * The typical alternative many tutorials build: a NestJS guard with passport-headerapikey, keys
 * stored as bcrypt hashes (cost 10, bcryptjs) and found by an id carried in the key
 * (`<keyId>.<secret>`), then `bcrypt.compare`. Only the keys the load uses get real bcrypt
 * hashes (hashing 100 k at cost 10 would take hours); the table still holds 100 k entries.
 */
import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import {
  Controller,
  Injectable,
  Module,
  Post,
  UnauthorizedException,
  UseGuards,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AuthGuard, PassportModule, PassportStrategy } from '@nestjs/passport';
import bcrypt from 'bcryptjs';
import { HeaderAPIKeyStrategy } from 'passport-headerapikey';
import { announce } from './key-table';

interface BcryptTable {
  readonly keys: readonly { readonly keyId: string; readonly bcryptHash: string }[];
}
const table = JSON.parse(readFileSync(process.argv[2], 'utf8')) as BcryptTable;
const byId = new Map(table.keys.map((k) => [k.keyId, k.bcryptHash]));

@Injectable()
class ApiKeyStrategy extends PassportStrategy(HeaderAPIKeyStrategy, 'api-key') {
  constructor() {
    super({ header: 'X-API-Key', prefix: '' }, false);
  }
  async validate(apiKey: string): Promise<{ keyId: string }> {
    const [keyId, secret] = apiKey.split('.');
    const hash = byId.get(keyId);
    if (!hash || !(await bcrypt.compare(secret ?? '', hash))) throw new UnauthorizedException();
    return { keyId };
  }
}

@Controller('v1/keys')
class VerifyController {
  @Post('verify')
  @UseGuards(AuthGuard('api-key'))
  verify() {
    return { valid: true, code: 'VALID' };
  }
}

@Module({ imports: [PassportModule], controllers: [VerifyController], providers: [ApiKeyStrategy] })
class BcryptModule {}

async function main() {
  const app = await NestFactory.create(BcryptModule, { logger: false });
  await app.listen(0, '127.0.0.1');
  const server = app.getHttpServer() as { address(): AddressInfo };
  announce(server.address().port);
}
void main();
